cli
