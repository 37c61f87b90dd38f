@interface Legacy : NSObject @end
