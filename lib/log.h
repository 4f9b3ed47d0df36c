/*
 * log.h - structured logging: one JSON object per line on stderr.
 *
 * systemd/journald and the project scripts collect stderr, so every
 * process logs there.  Each line is written with a single write() so
 * that lines from concurrent worker processes never interleave.
 */
#ifndef AG_LOG_H
#define AG_LOG_H

#include <stddef.h>
#include <stdio.h>

#include "arena.h"

enum ag_log_level { AG_LOG_DEBUG, AG_LOG_INFO, AG_LOG_WARN, AG_LOG_ERROR };

/* Messages below l are dropped (default AG_LOG_INFO). */
void ag_log_set_level(enum ag_log_level l);
/* "debug", "info", "warn"/"warning", "error" (any case) -> 0 and *out;
 * anything else -> -1 and *out untouched. */
int ag_log_level_parse(const char *s, enum ag_log_level *out);
/* Where lines go (default stderr; NULL restores it).  For tests. */
void ag_log_set_stream(FILE *f);

/* {"ts":"2026-11-24T01:02:03.456Z","level":"info","pid":123,"msg":"..."} */
void ag_log(enum ag_log_level l, const char *fmt, ...) AG_PRINTF(2, 3);

/* One access-log line per request, at info level:
 * {"ts":..,"level":"info","pid":..,"type":"request","request_id":..,
 *  "method":..,"path":..,"status":200,"ms":1.23,"user":null|"..","bytes":123}
 * NULL strings are written as null. */
void ag_log_request(const char *request_id, const char *method, const char *path, int status,
    double ms, const char *user_id, size_t bytes_out);

/* ISO-8601 UTC with milliseconds for a time in microseconds since the
 * epoch: 2025-05-05T02:42:07.632Z (the format the API uses everywhere). */
void ag_format_iso_ms(long long epoch_us, char out[32]);
/* Wall-clock time in microseconds since the epoch. */
long long ag_now_us(void);

#endif
