#pragma once

#include <QString>
#include <QStringList>

class QLineEdit;
class QWidget;

namespace keyway::test {

// A user at a form (the environment dialog's credential fields, found by their object names "field_<key>"):
// only what is visible counts, since the form of a provider picked before may still await its deletion.
namespace form {

QLineEdit* field(QWidget* form, const QString& key);
// Types into a field with keystrokes (not setText); false, with a warning, when the field is missing or the
// text did not arrive whole.
bool type(QWidget* form, const QString& key, const QString& text);
// Picks the entry whose data is `data` in the visible combo box named `objectName`.
bool choose(QWidget* form, const QString& objectName, const QString& data);

} // namespace form

// Every text a user can read in `root`'s widgets, hidden ones included (a tab not shown is one click away):
// labels, fields as displayed (a password field shows dots), text views, buttons, list and tree rows, tooltips.
QStringList visibleTexts(const QWidget* root);

} // namespace keyway::test
