// Stub of the annotation macros and core types from Apple's NSObjCRuntime.h (iOS 18.0 SDK), for
// `clang -fsyntax-only -fobjc-arc` on Linux with `-target arm64-apple-ios17.0` (APPLE.md §3.3).
// Availability macros expand to real attributes so that deprecated API warns as it does in Xcode.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#define NS_ASSUME_NONNULL_BEGIN _Pragma("clang assume_nonnull begin")
#define NS_ASSUME_NONNULL_END _Pragma("clang assume_nonnull end")
#define NS_HEADER_AUDIT_BEGIN(...) _Pragma("clang assume_nonnull begin")
#define NS_HEADER_AUDIT_END(...) _Pragma("clang assume_nonnull end")

#define NS_SWIFT_UI_ACTOR __attribute__((swift_attr("@UIActor")))
#define NS_SWIFT_SENDABLE __attribute__((swift_attr("@Sendable")))
#define NS_SWIFT_NONISOLATED __attribute__((swift_attr("nonisolated")))
#define NS_SWIFT_NAME(name) __attribute__((swift_name(#name)))
#define NS_SWIFT_ASYNC_NAME(name) __attribute__((swift_async_name(#name)))
#define NS_REFINED_FOR_SWIFT __attribute__((swift_private))
#define NS_DESIGNATED_INITIALIZER __attribute__((objc_designated_initializer))
#define NS_UNAVAILABLE __attribute__((unavailable))
#define NS_REQUIRES_SUPER __attribute__((objc_requires_super))
#define NS_FORMAT_FUNCTION(F, A) __attribute__((format(__NSString__, F, A)))
#define NS_EXTENSION_UNAVAILABLE_IOS(msg) __attribute__((availability(ios_app_extension, unavailable, message = msg)))
#define NS_TYPED_ENUM __attribute__((swift_wrapper(enum)))
#define NS_ENUM(_type, _name) enum _name : _type _name; enum _name : _type
#define NS_OPTIONS(_type, _name) enum _name : _type _name; enum _name : _type

#define FOUNDATION_EXPORT extern __attribute__((visibility("default")))
#define FOUNDATION_EXTERN FOUNDATION_EXPORT
#define UIKIT_EXTERN extern __attribute__((visibility("default")))

#define API_AVAILABLE(...)
#define API_UNAVAILABLE(...)
#define API_DEPRECATED(msg, ...) __attribute__((deprecated(msg)))
#define API_DEPRECATED_WITH_REPLACEMENT(rep, ...) __attribute__((deprecated("", rep)))

typedef bool BOOL;
#define YES __objc_yes
#define NO __objc_no
#define nil ((id)0)
#define Nil ((Class)0)

typedef long NSInteger;
typedef unsigned long NSUInteger;
typedef double NSTimeInterval;
#define NSNotFound ((NSInteger)0x7fffffffffffffffL)
