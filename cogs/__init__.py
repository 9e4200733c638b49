"""The Discord edge: slash commands, listeners and views, one module per feature."""
