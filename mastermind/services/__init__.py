"""Services: read what storage holds, let the rules decide, and write the outcome back in one transaction."""
