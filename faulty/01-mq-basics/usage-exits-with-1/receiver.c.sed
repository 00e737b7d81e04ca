# Wrong arguments exit with the status of an ordinary failure.
s/        return 2;/        return 1;/
