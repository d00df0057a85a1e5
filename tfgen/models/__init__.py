"""One keras.Model subclass per method family; train_step coordinates the steps."""
