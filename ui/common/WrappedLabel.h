#pragma once

#include <QLabel>

namespace keyway::ui {

// A word-wrapped label exactly as tall as its text at its current width: notices, intros and check details.
// QLabel's own size hints assume a narrow width for wrapped text, so a layout pads a short sentence to several
// lines, and a squeezed layout (a short window, a long German sentence) gives it less than it needs and the
// text is drawn over the widget below. Here both hints are the wrapped height at the width the label has, so
// the layouts and splitters above keep room for it and give the rest to the widgets that can scroll.
class WrappedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit WrappedLabel(QWidget* parent = nullptr);

    // Keeps at least this many lines of height, so a text that changes length does not make the layout jump.
    void setMinimumLines(int lines);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    int heightForWidth(int width) const override;

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    int neededHeight(int width) const;

    int m_minimumLines = 0;
    int m_layoutWidth = 0; // the width the layout gave, once it gave one
};

} // namespace keyway::ui
