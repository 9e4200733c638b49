"""The rules of running a mastermind group, in plain Python: nothing here imports discord."""
