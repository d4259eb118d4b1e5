#ifndef CNOTIFY_H
#define CNOTIFY_H

/// Sends `message` (e.g. "READY=1") to the service manager over the datagram socket named
/// in $NOTIFY_SOCKET, as sd_notify(3) does, without linking libsystemd.
/// Returns 1 when sent, 0 when no service manager listens ($NOTIFY_SOCKET unset),
/// and -errno when the socket refused it.
int nl_notify(const char *message);

#endif
