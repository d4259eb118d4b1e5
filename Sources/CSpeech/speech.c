#include "CSpeech.h"

#include <pocketsphinx.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NL_WAITING 8
#define NL_CHUNK 320            // 20 ms: the detector's state is looked at after each

struct nl_listener {
    ps_decoder_t *grammar, *phones, *spotter;
    int in_speech;
    int64_t position, start, wake_end;
    nl_utterance waiting[NL_WAITING];
    int first, count;
};

static double nl_now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// A decoder from "-name value" pairs; NULL when PocketSphinx refuses them.
static ps_decoder_t *nl_decoder(const nl_listener_config *config, const char **extra, int extra_count) {
    char post[16];
    snprintf(post, sizeof post, "%d", config->post_speech_frames > 0 ? config->post_speech_frames : 30);
    const char *args[64];
    int n = 0;
#define NL_ARG(name, value) (args[n++] = (name), args[n++] = (value))
    NL_ARG("-hmm", config->model);
    NL_ARG("-dict", config->dictionary);
    NL_ARG("-logfn", "/dev/null");
    NL_ARG("-samprate", "16000");
    NL_ARG("-vad_postspeech", post);
    NL_ARG("-vad_prespeech", "20");
    NL_ARG("-vad_threshold", "2.0");
    for (int i = 0; i < extra_count && n < 62; i++) args[n++] = extra[i];
#undef NL_ARG
    cmd_ln_t *options = cmd_ln_parse_r(NULL, ps_args(), n, (char **)args, TRUE);
    if (options == NULL) return NULL;
    ps_decoder_t *decoder = ps_init(options);
    cmd_ln_free_r(options);
    return decoder;
}

nl_listener *nl_listener_open(const nl_listener_config *config, char *error, size_t error_size) {
    err_set_logfp(NULL);
    nl_listener *listener = calloc(1, sizeof *listener);
    if (listener == NULL) {
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    listener->wake_end = -1;
    // Wide beams: at 10 dB SNR the default ones lost every path of the grammar. A low
    // language weight lets the sound decide among the grammar's few words.
    const char *grammar_options[] = { "-lw", "3", "-beam", "1e-80", "-pbeam", "1e-80", "-wbeam", "1e-60", "-bestpath", "yes" };
    listener->grammar = nl_decoder(config, grammar_options, 10);
    if (listener->grammar == NULL) {
        snprintf(error, error_size, "the recogniser refused its model or dictionary (%s, %s)", config->model, config->dictionary);
        nl_listener_close(listener);
        return NULL;
    }
    if (ps_set_jsgf_string(listener->grammar, "command", config->jsgf) < 0 || ps_set_search(listener->grammar, "command") < 0) {
        snprintf(error, error_size, "the recogniser refused the grammar");
        nl_listener_close(listener);
        return NULL;
    }
    // Context-independent phones: context-dependent ones ran 4.5 times slower than real time.
    const char *phone_options[] = { "-allphone_ci", "yes", "-beam", "1e-40", "-pbeam", "1e-40", "-bestpath", "no" };
    listener->phones = nl_decoder(config, phone_options, 8);
    if (listener->phones == NULL || ps_set_allphone_file(listener->phones, "phones", config->phone_lm) < 0
        || ps_set_search(listener->phones, "phones") < 0) {
        snprintf(error, error_size, "the recogniser refused the phone model %s", config->phone_lm);
        nl_listener_close(listener);
        return NULL;
    }
    if (config->wake != NULL && config->wake[0] != '\0') {
        char threshold[32];
        snprintf(threshold, sizeof threshold, "%g", config->wake_threshold > 0 ? config->wake_threshold : 1e-30);
        const char *spotter_options[] = { "-kws_threshold", threshold, "-bestpath", "no" };
        listener->spotter = nl_decoder(config, spotter_options, 4);
        if (listener->spotter == NULL || ps_set_keyphrase(listener->spotter, "wake", config->wake) < 0
            || ps_set_search(listener->spotter, "wake") < 0) {
            snprintf(error, error_size, "the recogniser refused the wake phrase \"%s\"", config->wake);
            nl_listener_close(listener);
            return NULL;
        }
    }
    ps_decoder_t *all[3] = { listener->grammar, listener->phones, listener->spotter };
    for (int i = 0; i < 3; i++) {
        if (all[i] == NULL) continue;
        ps_start_stream(all[i]);
        ps_start_utt(all[i]);
    }
    return listener;
}

void nl_listener_close(nl_listener *listener) {
    if (listener == NULL) return;
    if (listener->grammar) ps_free(listener->grammar);
    if (listener->phones) ps_free(listener->phones);
    if (listener->spotter) ps_free(listener->spotter);
    free(listener);
}

// The acoustic score of the decoder's best path, summed over its words.
static int64_t nl_acoustic_score(ps_decoder_t *decoder) {
    int64_t total = 0;
    int32 acoustic, language, backoff;
    for (ps_seg_t *segment = ps_seg_iter(decoder); segment != NULL; segment = ps_seg_next(segment)) {
        ps_seg_prob(segment, &acoustic, &language, &backoff);
        total += acoustic;
    }
    return total;
}

// The utterance the detector just closed: both decoders finish, and start the next.
static void nl_decide(nl_listener *listener) {
    double started = nl_now_ms();
    ps_end_utt(listener->grammar);
    int32 score = 0;
    const char *hypothesis = ps_get_hyp(listener->grammar, &score);
    // Copied now: the decoder frees its hypothesis when the next utterance starts.
    char text[512];
    snprintf(text, sizeof text, "%s", hypothesis ? hypothesis : "");
    int heard = hypothesis != NULL && text[0] != '\0';
    int frames = ps_get_n_frames(listener->grammar);
    int64_t fit = heard ? nl_acoustic_score(listener->grammar) : 0;
    ps_end_utt(listener->phones);
    ps_get_hyp(listener->phones, &score);
    int64_t free_fit = nl_acoustic_score(listener->phones);
    ps_start_utt(listener->phones);
    ps_start_utt(listener->grammar);
    if (listener->count == NL_WAITING) {
        // Nobody took the oldest: it is dropped rather than the newest.
        listener->first = (listener->first + 1) % NL_WAITING;
        listener->count--;
    }
    nl_utterance *out = &listener->waiting[(listener->first + listener->count) % NL_WAITING];
    memset(out, 0, sizeof *out);
    memcpy(out->text, text, sizeof out->text);
    out->start = listener->start;
    out->end = listener->position;
    out->frames = frames;
    out->log_ratio = (heard && frames > 0) ? (double)(fit - free_fit) / frames : -1e9;
    out->wake_end = listener->wake_end;
    out->decode_ms = nl_now_ms() - started;
    listener->count++;
}

int nl_listener_feed(nl_listener *listener, const int16_t *samples, size_t count) {
    for (size_t offset = 0; offset < count; offset += NL_CHUNK) {
        size_t n = count - offset < NL_CHUNK ? count - offset : NL_CHUNK;
        ps_process_raw(listener->grammar, samples + offset, n, FALSE, FALSE);
        ps_process_raw(listener->phones, samples + offset, n, FALSE, FALSE);
        listener->position += (int64_t)n;
        if (listener->spotter) {
            ps_process_raw(listener->spotter, samples + offset, n, FALSE, FALSE);
            int32 score;
            if (ps_get_hyp(listener->spotter, &score) != NULL) {
                listener->wake_end = listener->position;
                // The spotter keeps reporting a phrase once found: start it afresh.
                ps_end_utt(listener->spotter);
                ps_start_utt(listener->spotter);
            }
        }
        int speaking = ps_get_in_speech(listener->grammar);
        if (speaking && !listener->in_speech) {
            listener->in_speech = 1;
            // The detector says so 0.2 s (its pre-speech frames) after speech began.
            listener->start = listener->position > 3200 ? listener->position - 3200 : 0;
        } else if (!speaking && listener->in_speech) {
            listener->in_speech = 0;
            nl_decide(listener);
        }
    }
    return listener->count;
}

int nl_listener_finish(nl_listener *listener) {
    if (listener->in_speech) {
        listener->in_speech = 0;
        nl_decide(listener);
    }
    return listener->count;
}

int nl_listener_take(nl_listener *listener, nl_utterance *out) {
    if (listener->count == 0) return 0;
    *out = listener->waiting[listener->first];
    listener->first = (listener->first + 1) % NL_WAITING;
    listener->count--;
    return 1;
}
