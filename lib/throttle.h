/*
 * throttle.h - brute-force protection for sign-in.
 *
 * Failed sign-ins are counted per account (the e-mail as typed, known or
 * not) and per address in table auth_throttle, in a window that starts
 * with the first failure.  When a counter reaches its limit the key is
 * blocked until the window has passed, and every attempt for that key
 * answers 429 with Retry-After before any password is checked, so the
 * answer says nothing about whether an e-mail exists.
 *
 * Limits come from [security] in the configuration:
 * login_account_limit (5), login_address_limit (20), login_window_minutes (15).
 */
#ifndef AG_THROTTLE_H
#define AG_THROTTLE_H

#include "app.h"

/* Seconds to wait before the next attempt for email from ip: 0 to go
 * ahead, -1 on a database error. */
long ag_throttle_wait(ag_app *app, ag_arena *a, const char *email,
    const char *ip);
/* Counts one failed attempt for email and for ip; 0 or -1. */
int ag_throttle_fail(ag_app *app, ag_arena *a, const char *email,
    const char *ip);
/* Forgets the failures of email (after a success or a password reset);
 * 0 or -1. */
int ag_throttle_reset(ag_app *app, ag_arena *a, const char *email);
/* Fills e with 429 RATE_LIMITED for a wait of seconds and returns -1. */
int ag_fail_rate_limited(ag_error *e, long seconds);

#endif
