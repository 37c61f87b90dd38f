// Starts `bgsession lsp` for Swift and Objective-C files; everything else is the language server's.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate() {
  const command = vscode.workspace.getConfiguration("bgsession").get("path", "bgsession");
  client = new LanguageClient(
    "bgsession",
    "bgsession",
    { command, args: ["lsp"], transport: TransportKind.stdio },
    {
      documentSelector: ["swift", "objective-c", "objective-cpp"].map((language) => ({ scheme: "file", language })),
      synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/.bgsession.toml") },
    },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
