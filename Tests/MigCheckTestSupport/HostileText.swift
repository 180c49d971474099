/// Characters a hostile input uses to make text read as something it is not.
enum HostileText {
    /// The bidirectional formatting characters a viewer would obey silently.
    static let bidiControls: [Unicode.Scalar] = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                                 0x2066, 0x2067, 0x2068, 0x2069].compactMap(Unicode.Scalar.init)
}
