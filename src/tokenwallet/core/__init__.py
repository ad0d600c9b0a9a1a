"""Qt-free, I/O-free domain pieces: money, usage, budget periods, events, suggestions."""
