"""See the bot run a whole meeting cycle in a simulated Discord (simcord), with no token and no network."""
