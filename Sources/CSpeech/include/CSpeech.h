#ifndef NEEDLELOG_CSPEECH_H
#define NEEDLELOG_CSPEECH_H

#include <stddef.h>
#include <stdint.h>

// A listener for spoken commands over PocketSphinx 5prealpha (speech.c): three decoders
// fed the same 16 kHz mono samples. The grammar decoder finds utterances with its voice
// activity detector and reads each as a command of the grammar; a phone loop decodes the
// same sound freely, and the difference of their acoustic scores per frame says how well
// the command fits (speech that is no command fits a phone loop far better); a keyword
// spotter listens for the wake word. PocketSphinx reports no usable confidence for a
// grammar search itself (ps_get_prob is always 0 there).
//
// Every name starts with nl_ so it never clashes with PocketSphinx's.

typedef struct nl_listener nl_listener;

typedef struct {
    const char *model;          // the acoustic model's folder (…/en-us/en-us)
    const char *dictionary;     // a pronouncing dictionary holding every word of the grammar
    const char *phone_lm;       // the phone language model for the phone loop (…/en-us-phone.lm.bin)
    const char *jsgf;           // the grammar, JSGF text
    const char *wake;           // the wake phrase, or NULL for none
    double wake_threshold;      // the spotter's threshold (1e-30: smaller spots more)
    int post_speech_frames;     // silence (10 ms frames) that ends an utterance
} nl_listener_config;

typedef struct {
    char text[512];             // the words, as the grammar has them; "" when nothing fit
    int64_t start;              // samples from the start of the stream where speech began
    int64_t end;                // samples where the utterance was decided
    int frames;                 // frames of speech the decoder read
    double log_ratio;           // (grammar - phone loop acoustic score) / frames; 0 is a perfect fit
    int64_t wake_end;           // where the wake phrase was last spotted before `end`; -1 never
    double decode_ms;           // milliseconds the decoders took to finish after the end was found
} nl_utterance;

// Opens the three decoders; NULL with a message in `error` when the model, dictionary or
// grammar is refused.
nl_listener *nl_listener_open(const nl_listener_config *config, char *error, size_t error_size);
void nl_listener_close(nl_listener *listener);

// Feeds samples; returns how many finished utterances now wait for nl_listener_take.
int nl_listener_feed(nl_listener *listener, const int16_t *samples, size_t count);
// Ends the stream: an utterance in progress is decided; returns the count waiting.
int nl_listener_finish(nl_listener *listener);
// Takes the oldest finished utterance into `out`; 0 when none waits.
int nl_listener_take(nl_listener *listener, nl_utterance *out);

#endif
