#pragma once

#include <QString>

class QWidget;

namespace keyway::ui {

// File pickers go through here so tests can pre-answer them (an empty answer means "cancelled").
class FileDialog
{
public:
    static QString getOpenFileName(QWidget* parent, const QString& caption, const QString& filter = {});
    static QString getSaveFileName(QWidget* parent,
                                   const QString& caption,
                                   const QString& suggestedName = {},
                                   const QString& filter = {});

    // Tests: the next dialog is not shown and returns `path`. Cleared once used.
    static void setNextAnswer(const QString& path);
};

} // namespace keyway::ui
