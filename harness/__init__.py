"""guideshot: run the guide's scenarios on emulated phones and keep its pictures true."""

__version__ = "0.1.0"
