#import "PBThumbnailPrefetcher.h"

static NSString *const PBThumbnailSessionIdentifier = @"com.example.photobackup.thumbnails";

@interface PBThumbnailPrefetcher ()
@property (nonatomic, strong) NSURLSession *session;
@end

@implementation PBThumbnailPrefetcher

+ (instancetype)sharedPrefetcher {
    static PBThumbnailPrefetcher *shared;
    static dispatch_once_t once;
    dispatch_once(&once, ^{
        shared = [[PBThumbnailPrefetcher alloc] init];
    });
    return shared;
}

- (instancetype)init {
    if ((self = [super init])) {
        NSURLSessionConfiguration *configuration =
            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:PBThumbnailSessionIdentifier];
        configuration.discretionary = YES;
        _session = [NSURLSession sessionWithConfiguration:configuration delegate:self delegateQueue:nil];
    }
    return self;
}

- (void)prefetchThumbnailAtURL:(NSURL *)url {
    [[self.session downloadTaskWithURL:url] resume];
}

- (void)URLSession:(NSURLSession *)session
                 downloadTask:(NSURLSessionDownloadTask *)downloadTask
    didFinishDownloadingToURL:(NSURL *)location {
    NSURL *caches = [[NSFileManager defaultManager] URLsForDirectory:NSCachesDirectory
                                                           inDomains:NSUserDomainMask].firstObject;
    NSURL *destination = [caches URLByAppendingPathComponent:location.lastPathComponent];
    [[NSFileManager defaultManager] moveItemAtURL:location toURL:destination error:NULL];
}

- (void)URLSessionDidFinishEventsForBackgroundURLSession:(NSURLSession *)session {
    void (^handler)(void) = self.backgroundCompletionHandler;
    self.backgroundCompletionHandler = nil;
    if (handler) {
        handler();
    }
}

@end
