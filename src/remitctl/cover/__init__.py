"""Cover: who handles an issue type at a moment, and when nobody does."""
