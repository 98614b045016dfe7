// SPDX-License-Identifier: GPL-2.0
/*
 * Teardown raced against everything, again and again, for
 * MSFS_RACE_SECONDS (default 60), for the debug kernel's lockdep and KASAN
 * to watch. Each round is a "world": a network and mount namespace with
 * an instance with remote on, a slot, writers that block on it, a reader,
 * datagrams arriving from a local socket, a writer through a remote path
 * back to the slot, and a task that switches remote off and on. At a
 * random moment the server closes, the instance is unmounted while its
 * files are still open, everything is killed and the namespace goes; and
 * all the while another thread tries to unload the module, which must
 * fail while it is in use and may succeed between two worlds (the next
 * mount loads it again). Nothing may splat; every world must end.
 */
#define _GNU_SOURCE
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "mailslot.h"
#include "nbt_example.h"

#define MNT		"/tmp/msl-race"
#define WRITERS		3
#define DGRAM_LEN	(sizeof(nbt_t_example) - 1)

static unsigned int rnd(unsigned int *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

/* The tasks of a world; each runs until it is killed. */
static void writer(const char *path, unsigned int seed)
{
	char buf[512] = { 0 };
	int fd;

	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		fd = open(path, O_WRONLY);
		while (fd >= 0 && write(fd, buf, rnd(&seed) % sizeof(buf)) >= 0)
			;
		close(fd);
		usleep(1000);
	}
}

static void reader(int srv)
{
	char buf[512];

	for (;;)
		if (read(srv, buf, sizeof(buf)) < 0 && errno != EINTR)
			usleep(1000);
}

/* Datagrams to BROWSE, from a local socket (so delivered to a 0666 slot). */
static void flooder(void)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = htons(138),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	for (;;)
		if (sendto(s, nbt_t_example, DGRAM_LEN, 0,
			   (struct sockaddr *)&to, sizeof(to)) < 0)
			usleep(1000);
}

/* Writes through a remote path to this very host, while remote goes. */
static void remote_writer(void)
{
	int fd;

	for (;;) {
		fd = open(MNT "/@127.0.0.1/BROWSE", O_WRONLY);
		while (fd >= 0 && write(fd, "hello", 5) >= 0)
			;
		close(fd);
		usleep(1000);
	}
}

static void remounter(unsigned int seed)
{
	for (;;) {
		mount(NULL, MNT, NULL, MS_REMOUNT,
		      rnd(&seed) % 2 ? "remote" : "noremote");
		usleep(rnd(&seed) % 5000);
	}
}

static pid_t spawn(void (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	return pid;
}

static pid_t writer_at(const char *path, unsigned int seed)
{
	pid_t pid = fork();

	if (pid == 0) {
		writer(path, seed);
		_exit(0);
	}
	return pid;
}

/*
 * Mount the world's instance. The unloader may be taking the module out
 * at this very moment: the filesystem type is then gone (ENODEV) until
 * it has, and the next mount loads it again.
 */
static int mount_racing_unload(void)
{
	long long end = msl_now_ms() + msl_ms(10000);

	while (msl_now_ms() < end) {
		if (!mount("none", MNT, MSL_FSTYPE, 0,
			   "remote,remote_rate=0,netbios_name=RACE"))
			return 0;
		if (errno != ENODEV)
			break;
		usleep(10000);
	}
	fprintf(stderr, "# mount: %s\n", strerror(errno));
	return -1;
}

/* One world, in a child: 0 when it went as it should. */
static int world(unsigned int seed)
{
	pid_t kids[WRITERS + 4];
	int srv, i, n = 0;

	if (unshare(CLONE_NEWNET | CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) || msl_lo_up())
		return 1;
	if (mount_racing_unload())
		return 2;
	srv = open(MNT "/BROWSE", O_RDONLY | O_CREAT | O_EXCL, 0666);
	if (srv < 0)
		return 3;
	for (i = 0; i < WRITERS; i++)
		kids[n++] = writer_at(MNT "/BROWSE", seed + i);
	kids[n++] = spawn(flooder);
	kids[n++] = spawn(remote_writer);
	kids[n] = fork();
	if (kids[n] == 0) {
		remounter(seed);
		_exit(0);
	}
	n++;
	kids[n] = fork();
	if (kids[n] == 0) {
		reader(srv);
		_exit(0);
	}
	n++;
	usleep(rnd(&seed) % 50000);
	/* the server goes (the reader still holds it, now and then not) */
	if (rnd(&seed) % 2)
		kill(kids[n - 1], SIGKILL);
	close(srv);
	usleep(rnd(&seed) % 20000);
	umount2(MNT, MNT_DETACH);		/* files still open */
	usleep(rnd(&seed) % 20000);
	for (i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(kids[i], NULL, 0);
	return 0;			/* the namespace goes with us */
}

static int unloading;	/* __atomic */
static long unloaded;

/*
 * Try to unload the module all the while: refused in use, fine between.
 * After an unload it waits a second (scaled: loading the debug kernel's
 * test build runs its KUnit suites), so that a mount that loads the
 * module again gets to use it (else it would never get past ENODEV).
 */
static void *unloader(void *arg)
{
	while (__atomic_load_n(&unloading, __ATOMIC_RELAXED)) {
		if (!syscall(SYS_delete_module, "mailslotfs", O_NONBLOCK)) {
			unloaded++;
			usleep(msl_ms(1000) * 1000);
		}
		usleep(2000);
	}
	return NULL;
}

/* Every mailslotfs mount, unmounted for the test and mounted again after. */
static int others(char mounts[][256], int max, bool restore)
{
	char line[1024], mnt[256], type[64];
	static int n;
	FILE *f;
	int i;

	if (restore) {
		for (i = 0; i < n; i++)
			mount("none", mounts[i], MSL_FSTYPE, 0, NULL);
		return 0;
	}
	f = fopen("/proc/self/mounts", "r");
	for (n = 0; f && fgets(line, sizeof(line), f) && n < max;)
		if (sscanf(line, "%*s %255s %63s", mnt, type) == 2 &&
		    !strcmp(type, MSL_FSTYPE) && !umount(mnt))
			snprintf(mounts[n++], 256, "%s", mnt);
	if (f)
		fclose(f);
	return n;
}

/*
 * The other mounts of mailslotfs are away while the test runs and the
 * unloader stops before they come back, however the test ends.
 */
FIXTURE(race) {
	char mounts[8][256];
	pthread_t unloader;
	bool unloading;
};

FIXTURE_SETUP(race)
{
	mkdir(MNT, 0777);
	others(self->mounts, 8, false);
}

FIXTURE_TEARDOWN(race)
{
	if (self->unloading) {
		__atomic_store_n(&unloading, 0, __ATOMIC_RELAXED);
		pthread_join(self->unloader, NULL);
	}
	others(self->mounts, 8, true);
}

TEST_F(race, teardown_races_everything)
{
	long long end = msl_now_ms() + 1000LL * msl_budget("MSFS_RACE_SECONDS", 60);
	unsigned int seed = getpid(), rounds = 0;
	pid_t pid;

	__atomic_store_n(&unloading, 1, __ATOMIC_RELAXED);
	ASSERT_EQ(0, pthread_create(&self->unloader, NULL, unloader, NULL));
	self->unloading = true;
	while (msl_now_ms() < end) {
		pid = fork();
		if (pid == 0)
			_exit(world(seed));
		EXPECT_EQ(0, msl_wait(pid)) TH_LOG("round %u", rounds);
		seed = seed * 7919 + 1;
		/* now and then a pause, for the unloader to get its turn */
		if (++rounds % 8 == 0)
			msl_until(access("/sys/module/mailslotfs", F_OK), 2000);
	}
	__atomic_store_n(&unloading, 0, __ATOMIC_RELAXED);
	pthread_join(self->unloader, NULL);
	self->unloading = false;
	TH_LOG("%u rounds; the module was unloaded %ld times", rounds, unloaded);
	EXPECT_LT(0, rounds);
	EXPECT_LT(0, unloaded);		/* the unload raced the worlds */
}

int main(int argc, char **argv)
{
	/* the budget, then the last round and the restore: 300 s */
	msl_extra_seconds = msl_budget("MSFS_RACE_SECONDS", 60) + 300;
	exit(msl_main(argc, argv));
}
