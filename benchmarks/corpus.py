"""A synthetic corpus of iOS sources: over a million lines of Swift and Objective-C in the shapes app
code has (view controllers, models, networking with the shared session, categories, headers), with
about 1% of the files holding background-session code taken from the generator and from apps with
the defects the rules find. Deterministic: the same seed gives the same files."""

from __future__ import annotations

import random
from pathlib import Path

from bgsession.gen.render import render_files
from bgsession.gen.spec import SessionOptions, build_spec

_SWIFT_TYPE = """\
import UIKit

final class {name}ViewController: UIViewController, UITableViewDataSource {{
    private var items: [{name}Item] = []
    private let tableView = UITableView(frame: .zero, style: .plain)
    private var observers: [NSObjectProtocol] = []

    override func viewDidLoad() {{
        super.viewDidLoad()
        title = "{name}"
        tableView.dataSource = self
        view.addSubview(tableView)
        observers.append(NotificationCenter.default.addObserver(
            forName: .{lower}DidChange, object: nil, queue: .main
        ) {{ [weak self] _ in
            self?.reload()
        }})
    }}

    func reload() {{
        items = {name}Store.shared.items.filter {{ $0.isVisible }}.sorted {{ $0.rank < $1.rank }}
        tableView.reloadData()
    }}

    func tableView(_ tableView: UITableView, numberOfRowsInSection section: Int) -> Int {{
        items.count
    }}

    func tableView(_ tableView: UITableView, cellForRowAt indexPath: IndexPath) -> UITableViewCell {{
        let cell = tableView.dequeueReusableCell(withIdentifier: "{lower}") ?? UITableViewCell()
        let item = items[indexPath.row]
        cell.textLabel?.text = item.title
        cell.detailTextLabel?.text = String(format: "%.2f", item.value)
        return cell
    }}
}}

struct {name}Item: Codable, Equatable {{
    var id: Int
    var title: String
    var value: Double
    var rank: Int
    var isVisible: Bool

    static func sample(_ index: Int) -> {name}Item {{
        {name}Item(id: index, title: "Item \\(index)", value: Double(index) * 1.5,
                   rank: index % 7, isVisible: index % 3 != 0)
    }}
}}

extension Notification.Name {{
    static let {lower}DidChange = Notification.Name("{lower}DidChange")
}}
"""

_SWIFT_NETWORK = """\
import Foundation

final class {name}Client {{
    private let decoder = JSONDecoder()
    private let base = URL(string: "https://api.example.com/{lower}")!

    func fetch(page: Int, completion: @escaping (Result<[{name}Item], Error>) -> Void) {{
        var request = URLRequest(url: base.appendingPathComponent("page/\\(page)"))
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        URLSession.shared.dataTask(with: request) {{ data, response, error in
            if let error {{
                completion(.failure(error))
                return
            }}
            do {{
                let items = try self.decoder.decode([{name}Item].self, from: data ?? Data())
                completion(.success(items))
            }} catch {{
                completion(.failure(error))
            }}
        }}.resume()
    }}

    func fetchAll() async throws -> [{name}Item] {{
        let (data, _) = try await URLSession.shared.data(from: base)
        return try decoder.decode([{name}Item].self, from: data)
    }}
}}
"""

_OBJC_HEADER = """\
#import <Foundation/Foundation.h>

NS_ASSUME_NONNULL_BEGIN

typedef NS_ENUM(NSInteger, {name}State) {{
    {name}StateIdle,
    {name}StateLoading,
    {name}StateFailed,
}};

@interface {name}Model : NSObject <NSCopying>
@property (nonatomic, copy) NSString *title;
@property (nonatomic, assign) {name}State state;
@property (nonatomic, strong, nullable) NSArray<NSNumber *> *values;
- (instancetype)initWithTitle:(NSString *)title NS_DESIGNATED_INITIALIZER;
- (instancetype)init NS_UNAVAILABLE;
- (double)average;
@end

NS_ASSUME_NONNULL_END
"""

_OBJC_IMPL = """\
#import "{name}Model.h"

@implementation {name}Model

- (instancetype)initWithTitle:(NSString *)title {{
    if ((self = [super init])) {{
        _title = [title copy];
        _state = {name}StateIdle;
    }}
    return self;
}}

- (id)copyWithZone:(NSZone *)zone {{
    {name}Model *copy = [[{name}Model allocWithZone:zone] initWithTitle:self.title];
    copy.state = self.state;
    copy.values = [self.values copy];
    return copy;
}}

- (double)average {{
    if (self.values.count == 0) {{
        return 0;
    }}
    double total = 0;
    for (NSNumber *value in self.values) {{
        total += value.doubleValue;
    }}
    return total / (double)self.values.count;
}}

- (NSString *)description {{
    return [NSString stringWithFormat:@"<%@ %@ %ld %.2f>", NSStringFromClass([self class]), self.title,
                                      (long)self.state, [self average]];
}}

@end
"""

_OBJC_NETWORK = """\
#import "{name}Model.h"

@interface {name}Loader : NSObject
@end

@implementation {name}Loader

- (void)loadFromURL:(NSURL *)url completion:(void (^)(NSArray<{name}Model *> *models, NSError *error))completion {{
    NSURLSessionDataTask *task = [[NSURLSession sharedSession] dataTaskWithURL:url
        completionHandler:^(NSData *data, NSURLResponse *response, NSError *error) {{
            if (error != nil) {{
                completion(@[], error);
                return;
            }}
            NSArray *json = [NSJSONSerialization JSONObjectWithData:data options:0 error:NULL];
            NSMutableArray *models = [NSMutableArray array];
            for (NSDictionary *entry in json) {{
                [models addObject:[[{name}Model alloc] initWithTitle:entry[@"title"]]];
            }}
            completion(models, nil);
        }}];
    [task resume];
}}

@end
"""

_BUGGY = """\
import UIKit

final class {name}Uploader: NSObject, URLSessionTaskDelegate {{
    var session: URLSession {{
        let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.{lower}.uploads")
        return URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
    }}

    func upload(_ data: Data, to url: URL) {{
        session.uploadTask(with: URLRequest(url: url), from: data).resume()
    }}

    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {{
        let appDelegate = UIApplication.shared.delegate as? {name}AppDelegate
        appDelegate?.backgroundCompletionHandler?()
    }}
}}

final class {name}AppDelegate: UIResponder, UIApplicationDelegate {{
    var backgroundCompletionHandler: (() -> Void)?

    func application(_ application: UIApplication, handleEventsForBackgroundURLSession identifier: String,
                     completionHandler: @escaping () -> Void) {{
        backgroundCompletionHandler = completionHandler
    }}
}}
"""


def _names(count: int, rng: random.Random) -> list[str]:
    syllables = ["Al", "Bo", "Ca", "De", "Fi", "Go", "Hu", "Ja", "Ki", "Lo", "Mu", "Ne", "Or", "Pa", "Qu", "Ri"]
    names = []
    for index in range(count):
        names.append("".join(rng.choice(syllables) for _ in range(3)) + str(index))
    return names


def build(folder: Path, *, min_lines: int = 1_000_000, seed: int = 7) -> tuple[int, int]:
    """Write the corpus into `folder` (which must not exist yet). Returns (files, lines)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    lines = 0
    files = 0
    index = 0
    background: list[tuple[str, str]] = []
    for lang in ("swift", "objc"):
        for style in ("uikit", "extension") if lang == "objc" else ("uikit", "swiftui", "extension"):
            options = SessionOptions(shared_container="group.com.example" if style == "extension" else None)
            spec = build_spec(lang=lang, style=style, identifiers=[f"com.example.{lang}.{style}"], options=options)
            background.extend((generated.name, generated.text) for generated in render_files(spec))
    while lines < min_lines:
        name = _names(1, rng)[0] + str(index)
        lower = name[0].lower() + name[1:]
        module = folder / f"Module{index % 40:02d}"
        module.mkdir(exist_ok=True)
        roll = rng.random()
        if roll < 0.01:
            # About 1% of files hold background-session code: generated, or with planted defects.
            if rng.random() < 0.5:
                file_name, text = background[index % len(background)]
                file_name = f"{name}{file_name}"
            else:
                file_name, text = f"{name}Uploader.swift", _BUGGY.format(name=name, lower=lower)
            chosen = [(file_name, text)]
        elif roll < 0.55:
            chosen = [(f"{name}ViewController.swift", _SWIFT_TYPE.format(name=name, lower=lower))]
            if rng.random() < 0.1:
                chosen.append((f"{name}Client.swift", _SWIFT_NETWORK.format(name=name, lower=lower)))
        else:
            chosen = [
                (f"{name}Model.h", _OBJC_HEADER.format(name=name)),
                (f"{name}Model.m", _OBJC_IMPL.format(name=name)),
            ]
            if rng.random() < 0.1:
                chosen.append((f"{name}Loader.m", _OBJC_NETWORK.format(name=name)))
        for file_name, text in chosen:
            (module / file_name).write_text(text, encoding="utf-8")
            files += 1
            lines += text.count("\n")
        index += 1
    return files, lines
