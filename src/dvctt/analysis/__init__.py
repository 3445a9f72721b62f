"""Pure DataFrame-in/DataFrame-out computations: metrics, reconciliation, statistics, progress."""
