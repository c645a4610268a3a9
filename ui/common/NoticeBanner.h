#pragma once

#include <QFrame>
#include <QStyle>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace keyway::ui {

// A framed notice with an optional icon, a wrapping selectable text and optional buttons: the
// walkthrough's hint and browser wait, the conformance page's warning and browser wait. Colours come
// from palette roles, so it works in dark themes.
class NoticeBanner : public QFrame
{
    Q_OBJECT
public:
    enum class Kind {
        Info, // AlternateBase: "waiting for the browser"
        Warning // ToolTipBase with the warning icon: hints and warnings
    };

    NoticeBanner(Kind kind, const QString& objectName, const QString& labelObjectName, QWidget* parent);

    void setIcon(QStyle::StandardPixmap icon);
    QPushButton* addButton(const QString& text, const QString& objectName);
    QLabel* label() const { return m_label; }

private:
    QLabel* m_icon;
    QLabel* m_label;
    QHBoxLayout* m_layout;
};

} // namespace keyway::ui
