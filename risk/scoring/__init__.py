"""Score runs and what follows from them: levels and trends, flags and the actions on
them, thresholds from a backtest, and how the scores held up against outcomes."""
