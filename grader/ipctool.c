/* ipctool.c - the grader's small system helper.
 *
 *   ipctool probe          can this machine create a queue and a shm
 *                          object; prints the limits; exit 0 if yes
 *   ipctool sweep FILE     removes every queue, shm object and named
 *                          semaphore listed in FILE (one name a line)
 *   ipctool reap RUNID     kills every process whose environment holds
 *                          GRADER_RUN_ID=RUNID (for machines without PID
 *                          namespaces, where a student's child could
 *                          outlive the test)
 *   ipctool leftovers      lists this suite's shm objects and the
 *                          caller's queues still present, one a line:
 *                          WHAT /NAME: COMMAND THAT REMOVES IT
 *   ipctool reap-uid UID   kills every process of user id UID (the
 *                          grader's per-run id for student code), as
 *                          that id: kill(-1) reaches exactly its own
 *   ipctool sweep-uid UID  removes every queue and shm object that user
 *                          id UID owns (root only)
 *
 * Exit status: 0 done, 1 problem found, 2 usage.                     */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static long read_long(const char *path)
{
    FILE *f = fopen(path, "r");
    long v = -1;
    if (f) {
        if (fscanf(f, "%ld", &v) != 1)
            v = -1;
        fclose(f);
    }
    return v;
}

/* Where an mqueue file system is mounted, if anywhere; "" if not. */
static void mqueue_mount(char *out, size_t size)
{
    out[0] = '\0';
    FILE *f = fopen("/proc/mounts", "r");
    if (!f)
        return;
    char dev[256], dir[1024], type[64];
    while (fscanf(f, "%255s %1023s %63s %*[^\n]", dev, dir, type) == 3) {
        if (strcmp(type, "mqueue") == 0) {
            snprintf(out, size, "%s", dir);
            break;
        }
    }
    fclose(f);
}

/* One line per object: what, its name, and the command that removes it
 * (sudo where it is another user's). Never "." or "..", nor a hidden
 * name; a queue only if it is the caller's or named like the suite's
 * (another user's queue may be in use). */
static int list_dir_prefix(const char *dir, const char *prefix,
                           const char *what, int any_owner)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' ||
            strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char path[2048];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (lstat(path, &st) == -1)
            continue;   /* gone meanwhile */
        int mine = st.st_uid == geteuid() || geteuid() == 0;
        if (!mine && !any_owner && strncmp(e->d_name, "ipclab.", 7) != 0)
            continue;
        printf("%s /%s: %srm %s\n", what, e->d_name, mine ? "" : "sudo ",
               path);
        n++;
    }
    closedir(d);
    return n;
}

static int leftovers(void)
{
    char mq_dir[1024];
    mqueue_mount(mq_dir, sizeof mq_dir);
    int n = list_dir_prefix("/dev/shm", "ipclab.", "shm object", 1);
    if (mq_dir[0])
        n += list_dir_prefix(mq_dir, "", "message queue", 0);
    return n ? 1 : 0;
}

static int probe(void)
{
    struct rlimit rl;
    int problems = 0;
    long msg_max = read_long("/proc/sys/fs/mqueue/msg_max");
    long msgsize_max = read_long("/proc/sys/fs/mqueue/msgsize_max");
    long queues_max = read_long("/proc/sys/fs/mqueue/queues_max");
    printf("limits: msg_max %ld, msgsize_max %ld, queues_max %ld", msg_max,
           msgsize_max, queues_max);
    if (getrlimit(RLIMIT_MSGQUEUE, &rl) == 0)
        printf(", RLIMIT_MSGQUEUE %lld bytes", (long long)rl.rlim_cur);
    printf("\n");
    if (msg_max != -1 && msg_max < 10) {
        printf("problem: /proc/sys/fs/mqueue/msg_max is %ld; the labs need "
               "10. fix: sudo sysctl fs.mqueue.msg_max=10\n", msg_max);
        problems++;
    }
    if (msgsize_max != -1 && msgsize_max < 8192) {
        printf("problem: /proc/sys/fs/mqueue/msgsize_max is %ld; the labs "
               "need 8192. fix: sudo sysctl fs.mqueue.msgsize_max=8192\n",
               msgsize_max);
        problems++;
    }

    char name[64];
    snprintf(name, sizeof name, "/ipclab.doctor.%ld", (long)getpid());
    /* One stock-sized queue (about 83 KB of the 819200-byte budget): if
     * even that does not fit, the quota is used up by leftovers. */
    struct mq_attr attr = {.mq_maxmsg = 10, .mq_msgsize = 8192};
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    if (q == (mqd_t)-1) {
        int err = errno;
        if (err == ENOSYS)
            printf("problem: mq_open is not implemented here (WSL1, or a "
                   "kernel without CONFIG_POSIX_MQUEUE). fix: use Linux or "
                   "WSL2\n");
        else if (err == EMFILE)
            printf("problem: mq_open fails with EMFILE: the per-user queue "
                   "quota (RLIMIT_MSGQUEUE) is used up by queues never "
                   "unlinked. fix: remove them (list: sudo mkdir -p "
                   "/dev/mqueue && sudo mount -t mqueue none /dev/mqueue; "
                   "ls /dev/mqueue; then rm /dev/mqueue/<name>), or log "
                   "out and back in after raising `ulimit -q`\n");
        else if (err == ENOSPC)
            printf("problem: mq_open fails with ENOSPC: queues_max (%ld) "
                   "queues exist. fix: remove leftover queues (see "
                   "`make doctor` after mounting /dev/mqueue)\n", queues_max);
        else
            printf("problem: mq_open(\"%s\") fails: %s\n", name, strerror(err));
        problems++;
    } else {
        if (mq_close(q) == -1 || mq_unlink(name) == -1) {
            printf("problem: cannot close or unlink a test queue: %s\n",
                   strerror(errno));
            problems++;
        }
    }

    int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd == -1) {
        int err = errno;
        printf("problem: shm_open(\"%s\") fails: %s. fix: %s\n", name,
               strerror(err),
               access("/dev/shm", W_OK) == 0
                   ? "check the tmpfs on /dev/shm (df /dev/shm)"
                   : "this container has no writable /dev/shm: run it with "
                     "a tmpfs there (docker run --shm-size=64m ...)");
        problems++;
    } else {
        if (close(fd) == -1 || shm_unlink(name) == -1) {
            printf("problem: cannot remove a test shm object: %s\n",
                   strerror(errno));
            problems++;
        }
    }
    return problems ? 1 : 0;
}

static int sweep(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 0 : 1;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        /* Only the suite's own names: the file is written by test code. */
        if (strncmp(line, "/ipclab.", 8) != 0 || strchr(line + 1, '/'))
            continue;
        mq_unlink(line);
        shm_unlink(line);
        sem_unlink(line);
    }
    fclose(f);
    return 0;
}

static int reap(const char *run_id)
{
    char want[256];
    int len = snprintf(want, sizeof want, "GRADER_RUN_ID=%s", run_id);
    int killed = 0;
    /* Repeat: a process may fork while we look. */
    for (int round = 0; round < 5; round++) {
        int found = 0;
        DIR *d = opendir("/proc");
        if (!d)
            return 1;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            char *end;
            long pid = strtol(e->d_name, &end, 10);
            if (*end || pid <= 1 || pid == (long)getpid())
                continue;
            char path[64], env[65536];
            snprintf(path, sizeof path, "/proc/%ld/environ", pid);
            int fd = open(path, O_RDONLY);
            if (fd == -1)
                continue;
            ssize_t n = read(fd, env, sizeof env - 1);
            close(fd);
            if (n > 0)
                env[n] = '\0';
            for (ssize_t i = 0; n > 0 && i < n;) {
                if (strncmp(env + i, want, (size_t)len) == 0 &&
                    (env[i + len] == '\0' || i + len == n)) {
                    kill((pid_t)pid, SIGKILL);
                    found++;
                    break;
                }
                i += (ssize_t)strnlen(env + i, (size_t)(n - i)) + 1;
            }
        }
        closedir(d);
        killed += found;
        if (!found)
            break;
    }
    if (killed)
        printf("grader: killed %d leftover process(es) of the student's "
               "code\n", killed);
    return 0;
}

/* Is a live process (not a zombie, not this one) of real or saved user
 * id UID left? Those are what kill(-1) sent as UID reaches. */
static int uid_has_live_process(long uid)
{
    DIR *d = opendir("/proc");
    if (!d)
        return 1;   /* cannot tell: assume so, and keep killing */
    int live = 0;
    struct dirent *e;
    while (!live && (e = readdir(d)) != NULL) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 1 || pid == (long)getpid())
            continue;
        char path[64], line[256];
        snprintf(path, sizeof path, "/proc/%ld/status", pid);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;   /* gone meanwhile */
        char state = '?';
        long real = -1, effective = -1, saved = -1;
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "State:", 6) == 0)
                sscanf(line + 6, " %c", &state);
            else if (strncmp(line, "Uid:", 4) == 0)
                sscanf(line + 4, "%ld %ld %ld", &real, &effective, &saved);
        }
        fclose(f);
        live = (real == uid || saved == uid) && state != 'Z' && state != 'X';
    }
    closedir(d);
    return live;
}

/* kill(-1, SIGKILL) sent as UID reaches every process of that id and
 * nothing else, however it was started (setsid, double fork, a new
 * process group): the way to end student code that ran under an id of
 * its own. Repeated until none is left, for code that forks meanwhile:
 * kill(-1) itself cannot tell (Linux returns 0 whenever any other
 * process exists, even one it may not signal), so /proc is asked. */
/* A user id above 0 (never root's), or -1. */
static long parse_uid(const char *arg)
{
    char *end;
    long uid = strtol(arg, &end, 10);
    if (*end || uid <= 0) {
        fprintf(stderr, "ipctool: %s is not a user id above 0\n", arg);
        return -1;
    }
    return uid;
}

static int reap_uid(const char *arg)
{
    long uid = parse_uid(arg);
    if (uid == -1)
        return 2;
    pid_t pid = fork();
    if (pid == -1) {
        perror("ipctool: fork");
        return 1;
    }
    if (pid == 0) {
        if (setgid((gid_t)uid) == -1 || setuid((uid_t)uid) == -1) {
            perror("ipctool: cannot become the student's id");
            _exit(1);
        }
        for (int round = 0; round < 10000; round++) {
            if (kill(-1, SIGKILL) == -1)
                _exit(errno == ESRCH || round == 0 ? 0 : 1);
            if (!uid_has_live_process(uid))
                _exit(0);
        }
        _exit(1);
    }
    int status;
    while (waitpid(pid, &status, 0) == -1)
        if (errno != EINTR)
            return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static void remove_owned(const char *dir, long uid, int queues)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        struct stat st;
        char path[1024], name[300];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        snprintf(name, sizeof name, "/%s", e->d_name);
        if (lstat(path, &st) == -1 || (long)st.st_uid != uid)
            continue;
        if (queues)
            mq_unlink(name);
        else if (unlink(path) == -1)
            perror(path);
    }
    closedir(d);
}

/* Without an IPC namespace, what student code left is found by owner:
 * its id is the grader's own for this run, so nothing else is touched. */
static int sweep_uid(const char *arg)
{
    long uid = parse_uid(arg);
    if (uid == -1)
        return 2;
    char mq_dir[1024];
    mqueue_mount(mq_dir, sizeof mq_dir);
    remove_owned("/dev/shm", uid, 0);
    if (mq_dir[0])
        remove_owned(mq_dir, uid, 1);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "reap-uid") == 0)
        return reap_uid(argv[2]);
    if (argc == 3 && strcmp(argv[1], "sweep-uid") == 0)
        return sweep_uid(argv[2]);
    if (argc == 2 && strcmp(argv[1], "probe") == 0)
        return probe();
    if (argc == 2 && strcmp(argv[1], "leftovers") == 0)
        return leftovers();
    if (argc == 3 && strcmp(argv[1], "sweep") == 0)
        return sweep(argv[2]);
    if (argc == 3 && strcmp(argv[1], "reap") == 0)
        return reap(argv[2]);
    fprintf(stderr, "usage: ipctool probe | leftovers | sweep FILE | reap RUNID | reap-uid UID | sweep-uid UID\n");
    return 2;
}
