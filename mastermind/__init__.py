"""The mastermind domain, in plain Python (nothing here imports discord).

rules/     decisions from plain values: when meetings are, who sits next, what a percentage means, who may act
services/  apply those rules to what storage holds and write the outcome back (planning, delivery, meetings)
"""
