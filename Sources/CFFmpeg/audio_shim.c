#include "CFFmpeg.h"

// Kept in C: AVChannelLayout is a struct with a union, and swr_convert takes arrays of
// plane pointers; both are awkward and unsafe to spell in Swift.

SwrContext *nl_swr_to_mono_s16(const AVFrame *frame, int rate) {
    AVChannelLayout in_layout;
    if (frame->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || av_channel_layout_check(&frame->ch_layout) == 0) {
        av_channel_layout_default(&in_layout, frame->ch_layout.nb_channels > 0 ? frame->ch_layout.nb_channels : 1);
    } else if (av_channel_layout_copy(&in_layout, &frame->ch_layout) < 0) {
        return NULL;
    }
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    SwrContext *swr = NULL;
    int failed = swr_alloc_set_opts2(&swr, &mono, AV_SAMPLE_FMT_S16, rate,
                                     &in_layout, (enum AVSampleFormat)frame->format, frame->sample_rate, 0, NULL);
    av_channel_layout_uninit(&in_layout);
    if (failed < 0 || swr == NULL || swr_init(swr) < 0) {
        swr_free(&swr);
        return NULL;
    }
    return swr;
}

int nl_swr_convert_frame(SwrContext *swr, int16_t *out, int capacity, const AVFrame *frame) {
    uint8_t *planes[1] = { (uint8_t *)out };
    if (frame == NULL) return swr_convert(swr, planes, capacity, NULL, 0);
    return swr_convert(swr, planes, capacity, (const uint8_t **)frame->extended_data, frame->nb_samples);
}

int nl_swr_matches(const AVFrame *frame, int format, int rate, int channels) {
    return frame->format == format && frame->sample_rate == rate && frame->ch_layout.nb_channels == channels;
}
