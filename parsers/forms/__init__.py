"""A grid read as a return: which form it is, its rows and values, the rules checked on it, its metrics."""
