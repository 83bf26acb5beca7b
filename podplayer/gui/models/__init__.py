"""Qt adapters (QAbstractItemModel) over the library repositories."""
