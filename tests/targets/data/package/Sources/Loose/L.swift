struct L {}
