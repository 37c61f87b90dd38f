#import <Foundation/Foundation.h>

NS_ASSUME_NONNULL_BEGIN

/// Prefetches thumbnails in the background. Kept from the Objective-C version of the app.
@interface PBThumbnailPrefetcher : NSObject <NSURLSessionDownloadDelegate>

@property (nonatomic, copy, nullable) void (^backgroundCompletionHandler)(void);

+ (instancetype)sharedPrefetcher NS_SWIFT_NAME(shared());
- (void)prefetchThumbnailAtURL:(NSURL *)url;

@end

NS_ASSUME_NONNULL_END
