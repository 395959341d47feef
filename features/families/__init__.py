"""The feature families, one module each: what a client's feedback, billing questions,
spend against progress, silence, payments and relationship say at an as-of date."""
