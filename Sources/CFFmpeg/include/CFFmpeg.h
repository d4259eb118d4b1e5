#ifndef NEEDLELOG_CFFMPEG_H
#define NEEDLELOG_CFFMPEG_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavdevice/avdevice.h>
#include <libswscale/swscale.h>
#include <libswresample/swresample.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/dict.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdarg.h>

// Shim functions for what Swift cannot import from FFmpeg's headers: function-like
// macros (AVERROR, AVERROR_EOF, MKTAG-based codes), variadic logging and va_list
// callbacks. Every name starts with nl_ (NeedleLog) so it never clashes with FFmpeg's.

// AVERROR(e) is a macro; Swift needs a function to build "errno as FFmpeg code".
static inline int nl_averror(int posix_errno) { return AVERROR(posix_errno); }

// AVERROR_EOF is built with FFERRTAG, a macro Swift cannot evaluate.
static inline int nl_averror_eof(void) { return AVERROR_EOF; }

// AVERROR_INVALIDDATA, likewise a tag macro: "Invalid data found when processing input".
static inline int nl_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }

// EAGAIN as an FFmpeg code, for the send/receive decode loop.
static inline int nl_averror_eagain(void) { return AVERROR(EAGAIN); }

// AV_NOPTS_VALUE is an int64 macro built from a cast Swift does not import.
static inline int64_t nl_nopts_value(void) { return AV_NOPTS_VALUE; }

// av_log is variadic; Swift cannot call it. This forwards one preformatted line.
static inline void nl_av_log(void *avcl, int level, const char *message) {
    av_log(avcl, level, "%s", message);
}

// Route FFmpeg's log through NeedleLog instead of stderr: lines at `level` or more
// severe go to `sink` (may be NULL for none). Errors are always kept for nl_last_error.
typedef void (*nl_log_sink)(int level, const char *line);
void nl_install_log(nl_log_sink sink, int level);

// Loads libavdevice (once, thread-safe) and registers its inputs (v4l2). Returns NULL,
// or why it could not be loaded.
const char *nl_register_devices(void);

// Fixes glibc's mmap and trim thresholds (see MemoryPolicy.swift).
void nl_limit_heap_retention(int mmap_threshold, int trim_threshold);

// The last line FFmpeg logged at AV_LOG_ERROR or worse on the calling thread, or "".
// FFmpeg explains many failures only in its log ("moov atom not found") while the
// return code says just "Invalid data"; the caller that just failed can quote it.
const char *nl_last_error(void);
void nl_clear_last_error(void);

// Lets another thread stop a blocking read (a pipe or device with no data): FFmpeg
// polls interrupt_callback during I/O, and the callback cannot capture Swift state,
// so it reads an int the caller owns. Set *flag to 1 to interrupt.
void nl_set_interrupt_flag(AVFormatContext *context, volatile int *flag);

// A live pipe read for FFmpeg with the arrival time of every byte (arrival_io.c).
typedef struct NLArrivalReader NLArrivalReader;
// An AVIOContext reading `fd` (non-blocking), stopping when *interrupt becomes nonzero;
// NULL when out of memory. Give it to the AVFormatContext with AVFMT_FLAG_CUSTOM_IO.
AVIOContext *nl_arrival_io_open(int fd, volatile int *interrupt, NLArrivalReader **reader);
// Frees the context, its buffer and the reader (after avformat_close_input).
void nl_arrival_io_close(AVIOContext **io, NLArrivalReader *reader);
// Nanoseconds since the byte just before stream offset `end` arrived; -1 when unknown.
int64_t nl_arrival_age_ns(const NLArrivalReader *reader, int64_t end);

// Audio for speech recognition (audio_shim.c): a resampler from a decoded frame's format,
// rate and channels to mono signed 16-bit at `rate` Hz, NULL when FFmpeg refuses the
// frame's layout. A frame whose layout names no channel order is read as the default
// order for its channel count (WAV files often say nothing).
SwrContext *nl_swr_to_mono_s16(const AVFrame *frame, int rate);
// Converts `frame` (NULL flushes what the resampler holds) into `out`, at most
// `capacity` samples; the samples written, or a negative AVERROR.
int nl_swr_convert_frame(SwrContext *swr, int16_t *out, int capacity, const AVFrame *frame);
// Whether `frame` still has the format, rate and channel count `swr` was made for.
int nl_swr_matches(const AVFrame *frame, int format, int rate, int channels);

#endif
