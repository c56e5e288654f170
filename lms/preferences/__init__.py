"""A learner's own settings for how pages behave on their phone: the data saver ("Hemat kuota")."""
