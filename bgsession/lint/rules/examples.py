"""Code fragments shared by several rules' documentation examples (each example is linted by the tests)."""

from __future__ import annotations

OBJC_MANAGER = (
    "@implementation Downloader\n"
    "- (NSURLSession *)session {\n"
    "    if (_session == nil) {\n"
    "        _session = [NSURLSession sessionWithConfiguration:\n"
    '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"]\n'
    "            delegate:self delegateQueue:nil];\n"
    "    }\n"
    "    return _session;\n"
    "}\n"
)
