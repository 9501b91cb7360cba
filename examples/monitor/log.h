/* The monitor's log file. */
#ifndef MONITOR_LOG_H
#define MONITOR_LOG_H

/* Appends line whole: many processes append at once, and no line is cut
 * into another. */
void monitor_log_append(const char *line);

#endif
