"""Audio engines behind one protocol. QtCore allowed, QtWidgets never."""
