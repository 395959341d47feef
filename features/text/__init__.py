"""Reading client messages: language, polarity, billing questions, doubts about the
engagement, and the per-message scores the feature families count."""
