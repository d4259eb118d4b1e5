// Reads a live pipe for FFmpeg while noting when each byte arrived.
//
// A raw stream (MJPEG, H.264 or HEVC in Annex B) has no timestamps, so a live reader
// stamps each picture on arrival. But FFmpeg's parser hands a picture over only when
// the next one begins, and its probe reads half a second ahead: stamped when
// av_read_frame returns, every picture would carry the next one's arrival (a pause
// lands a frame early, a snap gets the frame before the one on screen). Here every
// read() is logged as (stream offset reached, monotonic time); a packet's arrival is
// then the time its last byte came, found from its position and size.
#include "CFFmpeg.h"

#include <poll.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

// About 10 s of reads of a 1080p60 MJPEG stream, far more than the probe reads ahead.
#define NL_ARRIVALS 8192
#define NL_IO_BUFFER 32768

struct NLArrivalReader {
    int fd;
    volatile int *interrupt;
    int64_t total;                   // bytes read so far: the next byte's offset
    int64_t ends[NL_ARRIVALS];       // offset just past each read's last byte
    int64_t times[NL_ARRIVALS];      // when that read returned, CLOCK_MONOTONIC ns
    int head;                        // oldest entry
    int count;
};

static int64_t nl_now_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static int nl_arrival_read(void *opaque, uint8_t *buffer, int size) {
    NLArrivalReader *reader = opaque;
    for (;;) {
        if (reader->interrupt != NULL && *reader->interrupt) return AVERROR_EXIT;
        ssize_t got = read(reader->fd, buffer, (size_t)size);
        if (got > 0) {
            reader->total += got;
            int slot = (reader->head + reader->count) % NL_ARRIVALS;
            if (reader->count == NL_ARRIVALS) {
                reader->head = (reader->head + 1) % NL_ARRIVALS;
            } else {
                reader->count += 1;
            }
            reader->ends[slot] = reader->total;
            reader->times[slot] = nl_now_ns();
            return (int)got;
        }
        if (got == 0) return AVERROR_EOF;
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return AVERROR(errno);
        // Nothing yet: wait for data a tenth of a second at a time, checking the interrupt.
        struct pollfd entry = { .fd = reader->fd, .events = POLLIN, .revents = 0 };
        poll(&entry, 1, 100);
    }
}

AVIOContext *nl_arrival_io_open(int fd, volatile int *interrupt, NLArrivalReader **out) {
    *out = NULL;
    NLArrivalReader *reader = calloc(1, sizeof(NLArrivalReader));
    unsigned char *buffer = av_malloc(NL_IO_BUFFER);
    if (reader == NULL || buffer == NULL) {
        free(reader);
        av_free(buffer);
        return NULL;
    }
    reader->fd = fd;
    reader->interrupt = interrupt;
    AVIOContext *io = avio_alloc_context(buffer, NL_IO_BUFFER, 0, reader, nl_arrival_read, NULL, NULL);
    if (io == NULL) {
        free(reader);
        av_free(buffer);
        return NULL;
    }
    io->seekable = 0;
    *out = reader;
    return io;
}

void nl_arrival_io_close(AVIOContext **io, NLArrivalReader *reader) {
    if (io != NULL && *io != NULL) {
        av_freep(&(*io)->buffer);
        avio_context_free(io);
    }
    free(reader);
}

int64_t nl_arrival_age_ns(const NLArrivalReader *reader, int64_t end) {
    if (reader == NULL || reader->count == 0 || end <= 0 || end > reader->total) return -1;
    // Binary search for the first read whose end reaches `end`.
    int low = 0, high = reader->count - 1;
    while (low < high) {
        int middle = (low + high) / 2;
        if (reader->ends[(reader->head + middle) % NL_ARRIVALS] >= end) high = middle; else low = middle + 1;
    }
    int slot = (reader->head + low) % NL_ARRIVALS;
    // A ring that has wrapped has forgotten the reads before its oldest: too old to say.
    if (low == 0 && reader->count == NL_ARRIVALS) return -1;
    int64_t age = nl_now_ns() - reader->times[slot];
    return age < 0 ? 0 : age;
}
