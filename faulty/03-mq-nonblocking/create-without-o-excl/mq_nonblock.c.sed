# Creates with O_CREAT alone: an existing queue of that name is opened
# instead of refused with EEXIST, and its messages mix with the new ones.
s/int oflag = O_RDWR | O_CREAT | O_EXCL;/int oflag = O_RDWR | O_CREAT;/
