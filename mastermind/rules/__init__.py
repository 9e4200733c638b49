"""The rules of running a mastermind group: pure functions of plain values, unit-tested without any I/O."""
