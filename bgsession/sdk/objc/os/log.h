// Stub of <os/log.h> (iOS 10+), for `clang -fsyntax-only` on Linux. The os_log macros check their
// format string at compile time, as Apple's do (`format(os_log)`: %{public}@, %ld, ...).
#pragma once

#import <Foundation/NSObjCRuntime.h>

typedef struct os_log_s *os_log_t;
typedef unsigned char os_log_type_t;
#define OS_LOG_TYPE_DEFAULT ((os_log_type_t)0x00)
#define OS_LOG_TYPE_INFO ((os_log_type_t)0x01)
#define OS_LOG_TYPE_DEBUG ((os_log_type_t)0x02)
#define OS_LOG_TYPE_ERROR ((os_log_type_t)0x10)
#define OS_LOG_TYPE_FAULT ((os_log_type_t)0x11)

extern struct os_log_s _os_log_default;
#define OS_LOG_DEFAULT (&_os_log_default)

os_log_t _Nonnull os_log_create(const char * _Nonnull subsystem, const char * _Nonnull category)
    API_AVAILABLE(macos(10.12), ios(10.0), watchos(3.0), tvos(10.0));
void _bgsession_os_log(os_log_t _Nonnull log, os_log_type_t type, const char * _Nonnull format, ...)
    __attribute__((format(os_log, 3, 4)));

#define os_log_with_type(log, type, format, ...) _bgsession_os_log(log, type, format, ##__VA_ARGS__)
#define os_log(log, format, ...) os_log_with_type(log, OS_LOG_TYPE_DEFAULT, format, ##__VA_ARGS__)
#define os_log_info(log, format, ...) os_log_with_type(log, OS_LOG_TYPE_INFO, format, ##__VA_ARGS__)
#define os_log_debug(log, format, ...) os_log_with_type(log, OS_LOG_TYPE_DEBUG, format, ##__VA_ARGS__)
#define os_log_error(log, format, ...) os_log_with_type(log, OS_LOG_TYPE_ERROR, format, ##__VA_ARGS__)
#define os_log_fault(log, format, ...) os_log_with_type(log, OS_LOG_TYPE_FAULT, format, ##__VA_ARGS__)
