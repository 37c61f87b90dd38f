// Stub of WatchKit's WKBackgroundTask.h and WKApplication.h (APPLE.md §1.6).
#pragma once

#import <Foundation/Foundation.h>

#define WK_AVAILABLE_WATCHOS_ONLY(v) __attribute__((availability(watchos, introduced = v)))
#define WK_DEPRECATED_WATCHOS(from, to, msg) __attribute__((deprecated(msg)))

NS_ASSUME_NONNULL_BEGIN

@interface WKRefreshBackgroundTask : NSObject
@property (readonly, nullable) id<NSSecureCoding> userInfo;
- (void)setTaskCompleted WK_DEPRECATED_WATCHOS(3_0, 4_0, "Use -setTaskCompletedWithSnapshot: instead, pass NO to duplicate existing behavior");
- (void)setTaskCompletedWithSnapshot:(BOOL)refreshSnapshot;
@end

@interface WKApplicationRefreshBackgroundTask : WKRefreshBackgroundTask
@end

@interface WKSnapshotRefreshBackgroundTask : WKRefreshBackgroundTask
@end

@interface WKURLSessionRefreshBackgroundTask : WKRefreshBackgroundTask
@property (readonly, copy) NSString *sessionIdentifier;
@end

NS_SWIFT_UI_ACTOR
@protocol WKApplicationDelegate <NSObject>
@optional
- (void)applicationDidFinishLaunching;
- (void)handleBackgroundTasks:(NSSet<WKRefreshBackgroundTask *> *)backgroundTasks;
@end

NS_SWIFT_UI_ACTOR
@protocol WKExtensionDelegate <NSObject>
@optional
- (void)applicationDidFinishLaunching;
- (void)handleBackgroundTasks:(NSSet<WKRefreshBackgroundTask *> *)backgroundTasks;
@end

NS_ASSUME_NONNULL_END
