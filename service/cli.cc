// The policyd command line.
