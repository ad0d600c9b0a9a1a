"""tokenwallet.gui"""
