// Logging state lives here, in one translation unit, rather than in the header:
// statics in an imported header would be duplicated in every Swift object file.
#include "CFFmpeg.h"

// The last message at AV_LOG_ERROR or worse seen on this thread. FFmpeg explains
// many failures only in its log ("moov atom not found"), while the return code says
// just "Invalid data"; keeping the line per thread lets the caller that just failed
// quote it, without locks and without mixing in another thread's messages.
static __thread char nl_last_error_line[512];

// The Swift-side log sink, or NULL for none. Set once at start-up.
static nl_log_sink nl_current_sink = NULL;
static int nl_sink_level = AV_LOG_WARNING;

// av_log_set_callback's callback receives a va_list, which Swift cannot format.
// This one formats the line in C, keeps errors for nl_last_error, and hands
// messages at or above the sink's level to Swift as plain strings.
static void nl_log_callback(void *avcl, int level, const char *fmt, va_list vl) {
    if (level > nl_sink_level && level > AV_LOG_ERROR) return;
    char line[512];
    int print_prefix = 1;
    av_log_format_line2(avcl, level, fmt, vl, line, sizeof(line), &print_prefix);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
    if (level <= AV_LOG_ERROR && n > 0) {
        memcpy(nl_last_error_line, line, n + 1); // n < sizeof(line) == sizeof(nl_last_error_line)
    }
    if (nl_current_sink != NULL && level <= nl_sink_level) nl_current_sink(level, line);
}

// Route FFmpeg's log through nl_log_callback (instead of stderr) with a sink and level.
void nl_install_log(nl_log_sink sink, int level) {
    nl_current_sink = sink;
    nl_sink_level = level;
    av_log_set_callback(nl_log_callback);
}

void nl_clear_last_error(void) { nl_last_error_line[0] = 0; }
const char *nl_last_error(void) { return nl_last_error_line; }


static int nl_interrupt_callback(void *opaque) {
    return *(volatile int *)opaque;
}

void nl_set_interrupt_flag(AVFormatContext *context, volatile int *flag) {
    context->interrupt_callback.callback = nl_interrupt_callback;
    context->interrupt_callback.opaque = (void *)flag;
}

// libavdevice is loaded only when a capture device is opened: linked, it brings libavfilter
// and some eighty libraries of theirs (speech synthesis, SDL, OpenGL, JACK, ...) into every
// NeedleLog process, 16 MB of resident pages, for files and pipes that never use them.
#include <dlfcn.h>
#include <pthread.h>

static pthread_once_t nl_devices_once = PTHREAD_ONCE_INIT;
static char nl_devices_error[256];

static void nl_load_devices(void) {
    const char *name = "libavdevice.so." AV_STRINGIFY(LIBAVDEVICE_VERSION_MAJOR);
    void *library = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
        snprintf(nl_devices_error, sizeof nl_devices_error, "%s", dlerror());
        return;
    }
    void (*register_all)(void) = (void (*)(void))dlsym(library, "avdevice_register_all");
    if (!register_all) {
        snprintf(nl_devices_error, sizeof nl_devices_error, "%s has no avdevice_register_all", name);
        return;
    }
    register_all();
}

const char *nl_register_devices(void) {
    pthread_once(&nl_devices_once, nl_load_devices);
    return nl_devices_error[0] ? nl_devices_error : NULL;
}

#include <malloc.h>

void nl_limit_heap_retention(int mmap_threshold, int trim_threshold) {
    mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    mallopt(M_TRIM_THRESHOLD, trim_threshold);
}
