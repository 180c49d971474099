import MigCheckReading
import MigCheckRules

extension Evaluation {
    /// What `--source-dir DIR` does: the locator built for DIR, the findings moved to it.
    func locatingSources(in sourceDirectory: String, today: CalendarDate = .today()) -> Evaluation {
        locatingSources(with: TerraformSourceLocator(root: sourceDirectory, configuration: picture.document.configuration),
                        named: sourceDirectory, today: today)
    }
}
