import Foundation
import XCTest
@testable import MigCheckFoundation
@testable import MigCheckReading
@testable import MigCheckTestSupport

/// The `.tf` locator reads HCL with a lexer: braces inside strings, templates, heredocs and
/// comments do not hide (or invent) the blocks after them; `.tf.json` files are indexed too.
final class HCLLocatorTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = try scratchDirectory().path
    }

    private func locate(_ address: String) throws -> SourceLocation? {
        var locator = TerraformSourceLocator(root: root, configuration: nil)
        return locator.location(of: try XCTUnwrap(ResourceAddress.parse(address)))
    }

    private func assertAt(_ address: String, _ file: String, _ line: Int, _ column: Int, _ why: String,
                          fileID: StaticString = #filePath, sourceLine: UInt = #line) throws {
        let found = try locate(address)
        XCTAssertEqual(found?.file, root + "/" + file, "\(address): \(why)", file: fileID, line: sourceLine)
        XCTAssertEqual(found?.start, SourcePosition(line: line, column: column), "\(address): \(why)", file: fileID, line: sourceLine)
    }

    func testBracesInStringsAndTemplatesDoNotHideLaterResources() throws {
        try ScratchFiles.write(in: root, "main.tf", #"""
        resource "aws_rds_cluster" "legacy" {
          tags = { Note = "an open { brace", Other = "}}}" }
          name = "${var.prefix}-${lookup(var.names, "a}b", "{")}-x"
          text = "escaped \" quote { and %{ if true }}{%{ endif }"
          cond = "${ {a = "}"}["a"] }"
          lit  = "$${not a template {"
        }
        resource "aws_rds_cluster" "core" {
          engine = "aurora-postgresql"
        }
        """#)
        try assertAt("aws_rds_cluster.legacy", "main.tf", 1, 1, "the first block")
        try assertAt("aws_rds_cluster.core", "main.tf", 8, 1, "after braces in strings and nested template strings")
    }

    func testHeredocsWithBracesAndIndentedTerminators() throws {
        try ScratchFiles.write(in: root, "main.tf", """
        resource "aws_iam_policy" "p" {
          policy = <<EOF
        { "Statement": [ {
        resource "aws_rds_cluster" "fake" {
        EOF
        }
        locals {
          doc = <<-POLICY_DOC
            {"a": "${jsonencode({ b = "}" })}" {
            POLICY_DOC
          other = <<-X
            }}} }
              X
        }
        resource "aws_rds_cluster" "core" {}
        """)
        try assertAt("aws_rds_cluster.core", "main.tf", 15, 1, "after heredocs with braces")
        XCTAssertNil(try locate("aws_rds_cluster.fake"), "a block inside a heredoc is text")
    }

    func testCommentsOfAllThreeFormsHideBlocks() throws {
        try ScratchFiles.write(in: root, "main.tf", """
        # resource "aws_rds_cluster" "a" {
        // resource "aws_rds_cluster" "b" {
        /* resource "aws_rds_cluster" "c" {
        resource "aws_rds_cluster" "d" {
        */ resource "aws_rds_cluster" "core" { # {
          x = 1 // }
          y = 2 /* } */
        }
        resource "aws_rds_cluster" "legacy" {}
        """)
        for name in ["a", "b", "c", "d"] {
            XCTAssertNil(try locate("aws_rds_cluster.\(name)"), "\(name) is in a comment")
        }
        try assertAt("aws_rds_cluster.core", "main.tf", 5, 4, "after a block comment on the same line")
        try assertAt("aws_rds_cluster.legacy", "main.tf", 9, 1, "braces in comments do not count")
    }

    func testUnterminatedStringsAndHeredocsStopSensibly() throws {
        try ScratchFiles.write(in: root, "a.tf", """
        resource "aws_rds_cluster" "legacy" {
          name = "unterminated {
        }
        resource "aws_rds_cluster" "core" {}
        """)
        try ScratchFiles.write(in: root, "b.tf", """
        resource "aws_rds_cluster" "other" {}
        locals {
          x = <<EOF
        never ends
        resource "aws_rds_cluster" "hidden" {}
        """)
        try ScratchFiles.write(in: root, "c.tf", "resource \"aws_rds_cluster\" \"c\" {\n  x = \"${\"${\"${\n/* never closed")
        try ScratchFiles.write(in: root, "d.tf", String(repeating: "\"${", count: 20_000) + "\n" + String(repeating: "{", count: 20_000))
        try assertAt("aws_rds_cluster.core", "a.tf", 4, 1, "an unterminated string ends at its line")
        try assertAt("aws_rds_cluster.other", "b.tf", 1, 1, "before the heredoc")
        XCTAssertNil(try locate("aws_rds_cluster.hidden"), "inside a heredoc that never ends")
        try assertAt("aws_rds_cluster.c", "c.tf", 1, 1, "unterminated templates and comments")
    }

    func testCRLFLineEndingsAndUTF8Columns() throws {
        try ScratchFiles.write(in: root, "main.tf", "locals {\r\n  a = <<EOF\r\n{\r\nEOF\r\n}\r\n\r\n/* é */ resource \"aws_rds_cluster\" \"core\" {\r\n}\r\n"
            + "# ü\r\n\u{1F600}\u{1F600}\r\n  resource \"aws_rds_cluster\" \"legacy\" {}\r\n")
        try assertAt("aws_rds_cluster.core", "main.tf", 7, 9, "CRLF heredoc terminator; a column in characters")
        try assertAt("aws_rds_cluster.legacy", "main.tf", 11, 3, "CRLF")
    }

    func testTerraformJSONFilesAreIndexed() throws {
        try ScratchFiles.write(in: root, "main.tf.json", """
        {
          "resource": {
            "aws_rds_cluster": {
              "legacy": {"engine": "aurora-postgresql", "tags": {"x": "{"}},
              "core": {}
            }
          },
          "data": {"aws_rds_cluster": {"existing": {}}},
          "module": {
            "dms": {"source": "./modules/dms"},
            "vpc": {"source": "terraform-aws-modules/vpc/aws"}
          }
        }
        """)
        try ScratchFiles.write(in: root, "modules/dms/main.tf.json", #"{"resource": [{"aws_dms_endpoint": {"target": [{"server_name": "x"}]}}]}"#)
        try ScratchFiles.write(in: root, "broken.tf.json", #"{"resource": {"aws_rds_cluster": {"broken": "#)
        try assertAt("aws_rds_cluster.legacy", "main.tf.json", 4, 7, "the key of the resource")
        try assertAt("aws_rds_cluster.core", "main.tf.json", 5, 7, "the key of the resource")
        try assertAt("data.aws_rds_cluster.existing", "main.tf.json", 8, 32, "a data source")
        try assertAt("module.dms.aws_dms_endpoint.target", "modules/dms/main.tf.json", 1, 37, "a local module in JSON syntax")
        try assertAt(#"module.vpc.aws_subnet.a["x"]"#, "main.tf.json", 11, 5, "a registry module: its call")
        XCTAssertNil(try locate("aws_rds_cluster.broken"), "a file that is not JSON is skipped")
    }

    func testTheLexerEndsOnEveryShortInputWithTokensInOrder() {
        let alphabet: [String] = ["\"", "$", "{", "}", "%", "<<", "-", "E", "\n", "#", "/", "*", "\\", "é"]
        var inputs = [""]
        for _ in 0..<4 { inputs = inputs.flatMap { prefix in alphabet.map { prefix + $0 } } }
        for input in inputs {
            let tokens = HCLLexer.tokens(input + "\nE\n")
            let lines = input.filter { $0 == "\n" }.count + 3
            var previous = (line: 1, column: 0)
            for token in tokens {
                XCTAssertTrue((token.line, token.column) > (previous.line, previous.column), "\(input.debugDescription): tokens out of order")
                XCTAssertTrue(token.endLine >= token.line && token.endLine <= lines, "\(input.debugDescription): lines")
                previous = (token.line, token.column)
            }
        }
    }
}
