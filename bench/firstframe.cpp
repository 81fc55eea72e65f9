// waotp_firstframe: starts a program on an X display and measures, for the start-up benchmark
// (issue 6):
//   first_frame_ms  from just before exec until a new top-level window of the program shows
//                   painted content (at least three distinct pixel values along its middle row
//                   and column: a mapped but unpainted window shows one colour, the server's
//                   black root)
//   rss_kib         VmRSS from /proc/PID/status, --settle ms after that frame
//   cpu_ms          CPU time of all the program's threads over the next --idle ms, from
//                   /proc/PID/task/*/schedstat (nanosecond resolution; /proc/PID/stat's
//                   utime+stime count in 10 ms ticks, too coarse for an idle program)
//   window_w, window_h  the size of that window, in pixels
// then stops the program. One line of key=value pairs on stdout; bench/run.sh collects them.
// The program's stdout and stderr go to /dev/null.
//
// usage: waotp_firstframe [--settle MS] [--idle MS] [--timeout MS] -- PROGRAM [ARGS...]
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <string>
#include <thread>

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

std::set<Window> topLevels(Display *dpy)
{
    Window root = 0, parent = 0;
    Window *children = nullptr;
    unsigned count = 0;
    std::set<Window> out;
    if (XQueryTree(dpy, DefaultRootWindow(dpy), &root, &parent, &children, &count)) {
        out.insert(children, children + count);
        XFree(children);
    }
    return out;
}

// Adds the distinct pixel values of one strip of @p w to @p seen (up to three).
void collectDistinct(Display *dpy, Window w, int x, int y, unsigned width, unsigned height,
                     unsigned long (&seen)[3], int &distinct)
{
    XImage *image = XGetImage(dpy, w, x, y, width, height, AllPlanes, ZPixmap);
    if (!image)
        return;
    for (int row = 0; row < image->height && distinct < 3; ++row) {
        for (int col = 0; col < image->width && distinct < 3; ++col) {
            const unsigned long p = XGetPixel(image, col, row);
            bool known = false;
            for (int i = 0; i < distinct; ++i)
                known = known || seen[i] == p;
            if (!known)
                seen[distinct++] = p;
        }
    }
    XDestroyImage(image);
}

// True if the window is viewable and its middle row and column hold at least three distinct
// pixel values between them. Two one-pixel strips, not the whole window: the probe reads them
// every millisecond, and copying a large window's pixels that often would take the X server's
// and this probe's time from the program measured, more for a larger window.
bool isPainted(Display *dpy, Window w, int &width, int &height)
{
    XWindowAttributes attrs;
    if (!XGetWindowAttributes(dpy, w, &attrs) || attrs.map_state != IsViewable || attrs.width < 8
        || attrs.height < 8)
        return false;
    width = attrs.width;
    height = attrs.height;
    unsigned long seen[3] = {};
    int distinct = 0;
    collectDistinct(dpy, w, 0, attrs.height / 2, unsigned(attrs.width), 1, seen, distinct);
    collectDistinct(dpy, w, attrs.width / 2, 0, 1, unsigned(attrs.height), seen, distinct);
    return distinct >= 3;
}

long rssKib(pid_t pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::strtol(line.c_str() + 6, nullptr, 10);
    }
    return -1;
}

// Nanoseconds on CPU, summed over every thread of the process.
long long cpuNs(pid_t pid)
{
    const std::string taskDir = "/proc/" + std::to_string(pid) + "/task";
    DIR *dir = opendir(taskDir.c_str());
    if (!dir)
        return -1;
    long long total = 0;
    while (const dirent *entry = readdir(dir)) {
        if (entry->d_name[0] == '.')
            continue;
        std::ifstream schedstat(taskDir + "/" + entry->d_name + "/schedstat");
        long long ns = 0;
        if (schedstat >> ns)
            total += ns;
    }
    closedir(dir);
    return total;
}

void stop(pid_t pid)
{
    kill(pid, SIGTERM);
    for (int i = 0; i < 200; ++i) {
        if (waitpid(pid, nullptr, WNOHANG) == pid)
            return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

int usage()
{
    std::fprintf(stderr,
                 "usage: waotp_firstframe [--settle MS] [--idle MS] [--timeout MS] -- PROGRAM "
                 "[ARGS...]\n");
    return 64;
}

} // namespace

int main(int argc, char **argv)
{
    long settleMs = 2000;
    long idleMs = 0;
    long timeoutMs = 20000;
    int i = 1;
    for (; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (i + 1 >= argc)
            return usage();
        const long value = std::strtol(argv[++i], nullptr, 10);
        if (arg == "--settle")
            settleMs = value;
        else if (arg == "--idle")
            idleMs = value;
        else if (arg == "--timeout")
            timeoutMs = value;
        else
            return usage();
    }
    if (i >= argc)
        return usage();

    Display *dpy = XOpenDisplay(nullptr);
    if (!dpy) {
        std::fprintf(stderr, "waotp_firstframe: cannot open display\n");
        return 1;
    }
    const std::set<Window> before = topLevels(dpy);

    const Clock::time_point t0 = Clock::now();
    const pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        // The program's own output (logs, a printed result) must not mix with the figures.
        if (const int devNull = open("/dev/null", O_WRONLY); devNull >= 0) {
            dup2(devNull, STDOUT_FILENO);
            dup2(devNull, STDERR_FILENO);
            close(devNull);
        }
        execvp(argv[i], argv + i);
        _exit(127);
    }

    double firstFrameMs = -1;
    int windowWidth = 0;
    int windowHeight = 0;
    while (firstFrameMs < 0) {
        if (waitpid(pid, nullptr, WNOHANG) == pid) {
            std::fprintf(stderr, "waotp_firstframe: %s exited before painting\n", argv[i]);
            return 1;
        }
        if (msSince(t0) > double(timeoutMs)) {
            std::fprintf(stderr, "waotp_firstframe: no painted window after %ld ms\n", timeoutMs);
            stop(pid);
            return 1;
        }
        for (const Window w : topLevels(dpy)) {
            if (!before.count(w) && isPainted(dpy, w, windowWidth, windowHeight)) {
                firstFrameMs = msSince(t0);
                break;
            }
        }
        if (firstFrameMs < 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    XCloseDisplay(dpy); // the probe stays off the X server while the program idles

    std::this_thread::sleep_for(std::chrono::milliseconds(settleMs));
    const long rss = rssKib(pid);
    double cpuMs = -1;
    if (idleMs > 0) {
        const long long start = cpuNs(pid);
        std::this_thread::sleep_for(std::chrono::milliseconds(idleMs));
        const long long end = cpuNs(pid);
        cpuMs = double(end - start) / 1e6;
    }
    const bool alive = waitpid(pid, nullptr, WNOHANG) == 0;
    stop(pid);
    if (!alive) {
        std::fprintf(stderr, "waotp_firstframe: %s exited while measured\n", argv[i]);
        return 1;
    }
    std::printf("first_frame_ms=%.1f rss_kib=%ld cpu_ms=%.2f idle_ms=%ld window_w=%d window_h=%d\n",
                firstFrameMs, rss, cpuMs, idleMs, windowWidth, windowHeight);
    return 0;
}
