"""The data room of a deal room (issue 8 §2): folders, documents and their versions, per-group
permissions inherited down the folder tree, views and downloads (PDFs watermarked for the viewer),
page-view beacons and the lead team's engagement figures. Its router is listed in ``service/app.py``."""
