"""What every feature shares at the Discord edge: the bot, error answers, access, text helpers, posting."""
