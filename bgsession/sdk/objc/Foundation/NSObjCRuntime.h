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
#define NS_NOESCAPE __attribute__((noescape))
#define NS_REQUIRES_SUPER __attribute__((objc_requires_super))
#define NS_FORMAT_FUNCTION(F, A) __attribute__((format(__NSString__, F, A)))
#define NS_EXTENSION_UNAVAILABLE_IOS(msg) __attribute__((availability(ios_app_extension, unavailable, message = msg)))
#define NS_TYPED_ENUM __attribute__((swift_wrapper(enum)))
#define NS_ENUM(_type, _name) enum _name : _type _name; enum _name : _type
#define NS_OPTIONS(_type, _name) enum _name : _type _name; enum _name : _type

#define FOUNDATION_EXPORT extern __attribute__((visibility("default")))
#define FOUNDATION_EXTERN FOUNDATION_EXPORT
#define UIKIT_EXTERN extern __attribute__((visibility("default")))

// API_AVAILABLE(ios(7.0), macos(10.9), ...) -> one availability attribute per platform, as Apple's
// <AvailabilityInternal.h> does: with `-target arm64-apple-ios15.0`, clang then warns
// (-Wunguarded-availability-new) on API newer than the deployment target.
#define __BGS_AVAILABLE_ios(v) __attribute__((availability(ios, introduced = v)))
#define __BGS_AVAILABLE_macos(v) __attribute__((availability(macos, introduced = v)))
#define __BGS_AVAILABLE_watchos(v) __attribute__((availability(watchos, introduced = v)))
#define __BGS_AVAILABLE_tvos(v) __attribute__((availability(tvos, introduced = v)))
#define __BGS_AVAILABLE_visionos(v) __attribute__((availability(visionos, introduced = v)))
#define __BGS_AVAILABLE_macCatalyst(v) __attribute__((availability(macCatalyst, introduced = v)))
#define __BGS_UNAVAILABLE_ios __attribute__((availability(ios, unavailable)))
#define __BGS_UNAVAILABLE_macos __attribute__((availability(macos, unavailable)))
#define __BGS_UNAVAILABLE_watchos __attribute__((availability(watchos, unavailable)))
#define __BGS_UNAVAILABLE_tvos __attribute__((availability(tvos, unavailable)))
#define __BGS_UNAVAILABLE_visionos __attribute__((availability(visionos, unavailable)))
#define __BGS_UNAVAILABLE_macCatalyst __attribute__((availability(macCatalyst, unavailable)))
#define __BGS_AVAILABLE(p) __BGS_AVAILABLE_##p
#define __BGS_UNAVAILABLE(p) __BGS_UNAVAILABLE_##p
#define __BGS_MAP1(m, a) m(a)
#define __BGS_MAP2(m, a, ...) m(a) __BGS_MAP1(m, __VA_ARGS__)
#define __BGS_MAP3(m, a, ...) m(a) __BGS_MAP2(m, __VA_ARGS__)
#define __BGS_MAP4(m, a, ...) m(a) __BGS_MAP3(m, __VA_ARGS__)
#define __BGS_MAP5(m, a, ...) m(a) __BGS_MAP4(m, __VA_ARGS__)
#define __BGS_MAP6(m, a, ...) m(a) __BGS_MAP5(m, __VA_ARGS__)
#define __BGS_MAP7(m, a, ...) m(a) __BGS_MAP6(m, __VA_ARGS__)
#define __BGS_COUNT(...) __BGS_PICK(__VA_ARGS__, 7, 6, 5, 4, 3, 2, 1, 0)
#define __BGS_PICK(_1, _2, _3, _4, _5, _6, _7, N, ...) N
#define __BGS_CAT(a, b) __BGS_CAT_(a, b)
#define __BGS_CAT_(a, b) a##b
#define API_AVAILABLE(...) __BGS_CAT(__BGS_MAP, __BGS_COUNT(__VA_ARGS__))(__BGS_AVAILABLE, __VA_ARGS__)
#define API_UNAVAILABLE(...) __BGS_CAT(__BGS_MAP, __BGS_COUNT(__VA_ARGS__))(__BGS_UNAVAILABLE, __VA_ARGS__)
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
