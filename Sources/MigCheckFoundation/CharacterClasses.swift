extension Character {
    /// 0–9 and nothing else: dates and times in policies and evidence are ASCII, so a digit from
    /// another script or with a combining mark is not one.
    package var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
}
